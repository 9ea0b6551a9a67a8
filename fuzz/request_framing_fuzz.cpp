// pcd's connection front end: raw bytes from a client, judged by assess_request before any
// worker sees them. Properties: more bytes never make a complete request incomplete again,
// and a request refused for its head stays refused.
#include "fuzz_check.hpp"
#include "pc/server/request_framing.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using pc::server::Framing;
    const auto input = pc::fuzz::as_view(data, size);
    // Small limits so the fuzzer reaches them; the defaults once as well.
    for (const pc::server::FramingLimits limits :
         {pc::server::FramingLimits{256, 64, 32, {"/v1/trickle"}}, pc::server::FramingLimits{}}) {
        const Framing whole = pc::server::assess_request(input, limits).state;
        for (std::size_t cut : {size / 4, size / 2, size - size / 4}) {
            const Framing prefix = pc::server::assess_request(input.substr(0, cut), limits).state;
            if (prefix == Framing::ready) FUZZ_CHECK(whole == Framing::ready);
            if (prefix == Framing::refuse) FUZZ_CHECK(whole == Framing::refuse);
        }
        // Without an end of head ("\n\n" or "\n\r\n"), only a head within the limit is
        // still arriving.
        if (whole == Framing::need_more && input.find("\n\n") == std::string_view::npos &&
            input.find("\n\r\n") == std::string_view::npos)
            FUZZ_CHECK(size <= limits.head_max);
    }
    return 0;
}
