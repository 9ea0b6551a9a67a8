// Go durations: parse_duration never crashes (no signed overflow: UBSan is on), and any
// accepted value formats to text that parses back to the same number of nanoseconds.
#include "fuzz_check.hpp"
#include "pc/core/duration.hpp"
#include "pc/core/error.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    auto text = pc::fuzz::as_view(data, size);
    auto d = pc::core::parse_duration(text);
    try {
        auto thrown = pc::core::parse_duration_or_throw(text, "PCC_FREQUENCY");
        FUZZ_CHECK(d.has_value() && *d == thrown);
    } catch (const pc::core::UserError&) {
        FUZZ_CHECK(!d.has_value());
    }
    if (!d) return 0;
    std::string formatted = pc::core::format_duration(*d);
    auto back = pc::core::parse_duration(formatted);
    FUZZ_CHECK(back.has_value());
    FUZZ_CHECK(*back == *d);
    return 0;
}
