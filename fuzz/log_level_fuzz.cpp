// Log-level specs ("info", "pcc=INFO;hoarder=INFO"): a valid level or a UserError, never
// anything else.
#include "fuzz_check.hpp"
#include "pc/core/error.hpp"
#include "pc/core/logging.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    auto spec = pc::fuzz::as_view(data, size);
    for (std::string_view module : {"pcc", "pcd"}) {
        try {
            auto level = pc::core::parse_log_level(spec, module, "PCC_LOGLEVEL");
            FUZZ_CHECK(level >= spdlog::level::trace && level <= spdlog::level::off);
        } catch (const pc::core::UserError& e) {
            FUZZ_CHECK(std::string_view(e.what()).find("PCC_LOGLEVEL") == 0);
        }
    }
    return 0;
}
