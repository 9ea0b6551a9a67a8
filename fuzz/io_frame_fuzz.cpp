// The shared frame format (spool, commit log, index), read at startup after a crash: any bytes
// either give good frames, each re-encoding to exactly its bytes, then one of the ends; a
// clean end means every byte was read.
#include "fuzz_check.hpp"
#include "pc/io/frame.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    auto bytes = pc::fuzz::as_view(data, size);
    std::size_t next = 0;
    const auto scan = pc::io::scan_frames(bytes, [&](std::string_view payload, std::size_t at) {
        FUZZ_CHECK(at == next);
        const std::string again = pc::io::encode_frame(payload);
        FUZZ_CHECK(bytes.substr(at, again.size()) == again);
        next = at + again.size();
        return true;
    });
    FUZZ_CHECK(scan.valid_bytes == next);
    FUZZ_CHECK((scan.end == pc::io::FrameEnd::clean) == (scan.valid_bytes == size));
    FUZZ_CHECK(scan.end != pc::io::FrameEnd::stopped);
    (void)pc::io::decode_single_frame(bytes);
    return 0;
}
