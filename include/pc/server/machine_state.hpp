// A machine's state on the dashboard, from how long ago pcd last stored a batch of it
// (pcd's own clock, so an agent's clock does not matter) measured in its own interval:
//   fresh   age <= 2 x interval + 5 s   (one tick may be in flight; 5 s for delivery)
//   late    age <= 5 x interval + 10 s  (a few ticks missing: a slow network, a retry)
//   silent  beyond that                 (the agent, its host or the path to pcd is down)
// An interval not known yet (fewer than two ticks stored) counts as pcc's default, 10 s.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace pc::server {

enum class MachineState { fresh, late, silent };

inline constexpr std::int64_t kDefaultInterval = 10;  // seconds: pcc's default PCC_FREQUENCY

MachineState classify_machine(std::int64_t age_seconds, std::optional<std::int64_t> interval);

std::string_view state_name(MachineState state);

}  // namespace pc::server
