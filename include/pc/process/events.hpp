// Everything a run skipped or left out, counted, and summarised in one warning line at the end.
#pragma once

#include <cstdint>
#include <map>
#include <string>

namespace pc::process {

struct Events {
    std::uint64_t malformed_lines = 0;      // collection lines that do not decode
    std::uint64_t truncated_lines = 0;      // a last line cut short by a crash
    std::uint64_t bad_measurements = 0;     // records whose text does not parse
    std::uint64_t bad_net_dev_lines = 0;    // default mode: net/dev lines left out alone
    std::uint64_t repeated_timestamps = 0;  // records not newer than their subsystem's last one
    std::uint64_t counter_resets = 0;       // rows left out: a counter went backwards
    std::uint64_t reboots = 0;              // rows left out: btime changed
    std::uint64_t appeared = 0;             // rows left out: CPU/disk/interface new this interval
    std::uint64_t vanished = 0;             // CPU/disk/interface gone since the last sample
    std::map<std::string, std::uint64_t> unknown_subsystems;  // name -> records skipped

    // "" when nothing happened, else e.g. "2 counter resets (rows left out), 1 repeated
    // timestamp skipped".
    std::string summary() const;
    // "container/docker/7892fa5ced3d (193 records), ..." or "".
    std::string unknown_list() const;
};

}  // namespace pc::process
