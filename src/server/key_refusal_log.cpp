#include "pc/server/key_refusal_log.hpp"

#include <spdlog/spdlog.h>

#include "pc/server/warning_throttle.hpp"

namespace pc::server {

void log_key_refusal(const std::string& line) {
    static WarningThrottle key_refusals;
    auto unlogged = key_refusals.admit();
    if (!unlogged) return;
    if (*unlogged == 0) {
        spdlog::warn("{}", line);
    } else {
        spdlog::warn("{} ({} more key refusals since the last one logged; one line a minute)", line,
                     *unlogged);
    }
}

}  // namespace pc::server
