// Collection lines: decode_record must never crash, and what it accepts must survive
// encode -> decode unchanged once normalised (invalid UTF-8 becomes U+FFFD on encode).
#include "fuzz_check.hpp"
#include "pc/record/codec.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    auto first = pc::record::decode_record(pc::fuzz::as_view(data, size));
    if (!first.record) {
        FUZZ_CHECK(!first.error.empty());
        return 0;
    }
    std::string line1 = pc::record::encode_record(*first.record);
    FUZZ_CHECK(!line1.empty() && line1.back() == '\n');
    auto second = pc::record::decode_record(std::string_view(line1).substr(0, line1.size() - 1));
    FUZZ_CHECK(second.record.has_value());
    FUZZ_CHECK(second.record->timestamp == first.record->timestamp);
    // After one encode every string is valid UTF-8: from here on the round trip is exact.
    FUZZ_CHECK(pc::fuzz::valid_utf8(second.record->subsystem));
    FUZZ_CHECK(pc::fuzz::valid_utf8(second.record->measurement));
    std::string line2 = pc::record::encode_record(*second.record);
    auto third = pc::record::decode_record(std::string_view(line2).substr(0, line2.size() - 1));
    FUZZ_CHECK(third.record.has_value());
    FUZZ_CHECK(third.record->subsystem == second.record->subsystem);
    FUZZ_CHECK(third.record->measurement == second.record->measurement);
    FUZZ_CHECK(pc::record::encode_record(*third.record) == line2);
    return 0;
}
