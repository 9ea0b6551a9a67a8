#include "pc/process/events.hpp"

namespace pc::process {

namespace {

void add(std::string& out, std::uint64_t n, const char* one, const char* many) {
    if (n == 0) return;
    if (!out.empty()) out += ", ";
    out += std::to_string(n);
    out += ' ';
    out += n == 1 ? one : many;
}

}  // namespace

std::string Events::summary() const {
    std::string s;
    add(s, malformed_lines, "malformed line skipped", "malformed lines skipped");
    add(s, truncated_lines, "truncated last line ignored", "truncated last lines ignored");
    add(s, bad_measurements, "unparsable measurement skipped", "unparsable measurements skipped");
    add(s, bad_net_dev_lines, "unparsable /proc/net/dev line skipped (its interface only)",
        "unparsable /proc/net/dev lines skipped (their interfaces only)");
    add(s, repeated_timestamps, "record with a repeated or earlier timestamp skipped",
        "records with a repeated or earlier timestamp skipped");
    add(s, counter_resets, "row left out because a counter went backwards (new baseline)",
        "rows left out because a counter went backwards (new baseline)");
    add(s, reboots, "interval left out after a reboot (btime changed)",
        "intervals left out after a reboot (btime changed)");
    add(s, appeared, "row left out for a CPU/disk/interface that appeared (new baseline)",
        "rows left out for CPUs/disks/interfaces that appeared (new baseline)");
    add(s, vanished, "CPU/disk/interface vanished", "CPUs/disks/interfaces vanished");
    return s;
}

std::string Events::unknown_list() const {
    std::string s;
    for (const auto& [name, n] : unknown_subsystems) {
        if (!s.empty()) s += ", ";
        s += name + " (" + std::to_string(n) + (n == 1 ? " record)" : " records)");
    }
    return s;
}

}  // namespace pc::process
