#include "pc/collect/schedule.hpp"

#include <algorithm>
#include <string>

#include "pc/core/error.hpp"

namespace pc::collect {

TickSchedule TickSchedule::from(core::Duration duration, core::Duration frequency) {
    if (frequency <= core::Duration::zero()) {
        throw core::UserError("PCC_FREQUENCY must be positive, e.g. 10s");
    }
    if (duration < frequency) {
        throw core::UserError("PCC_DURATION (" + core::format_duration(duration) +
                              ") is shorter than PCC_FREQUENCY (" +
                              core::format_duration(frequency) +
                              "): no sample would be taken; use e.g. PCC_DURATION=1h");
    }
    return TickSchedule{frequency, duration / frequency};
}

std::int64_t TickSchedule::next_future(core::Duration elapsed) const {
    if (elapsed < core::Duration::zero()) return 1;
    std::int64_t due = elapsed / frequency;  // the latest tick whose time has come
    return std::min(due + 1, count + 1);
}

core::Duration TickSchedule::lateness_margin() const {
    return std::min<core::Duration>(frequency / 4, std::chrono::milliseconds(250));
}

}  // namespace pc::collect
