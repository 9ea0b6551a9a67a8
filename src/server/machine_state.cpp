#include "pc/server/machine_state.hpp"

#include <algorithm>

namespace pc::server {

MachineState classify_machine(std::int64_t age_seconds, std::optional<std::int64_t> interval) {
    // At least a second (ticks at the same second have no step); at most a day, so the
    // thresholds stay far from overflow.
    const std::int64_t f = std::clamp<std::int64_t>(interval.value_or(kDefaultInterval), 1, 86400);
    if (age_seconds <= 2 * f + 5) return MachineState::fresh;
    if (age_seconds <= 5 * f + 10) return MachineState::late;
    return MachineState::silent;
}

std::string_view state_name(MachineState state) {
    switch (state) {
        case MachineState::fresh:
            return "fresh";
        case MachineState::late:
            return "late";
        case MachineState::silent:
            return "silent";
    }
    return "silent";
}

}  // namespace pc::server
