// The sources pcc can sample, their subsystem names and the order they appear in within a tick.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "pc/record/subsystem_names.hpp"

namespace pc::collect {

// The names themselves are the record module's (a wire contract).
using record::subsystem::kContainers;
using record::subsystem::kCpuinfo;
using record::subsystem::kDiskstats;
using record::subsystem::kLoadavg;
using record::subsystem::kMeminfo;
using record::subsystem::kNetDev;
using record::subsystem::kServices;
using record::subsystem::kStat;
using record::subsystem::kStatfs;
using record::subsystem::kUptime;
using record::subsystem::kVmstat;

// Every supported subsystem in tick order: cpuinfo first (first tick only), the optional
// /proc/uptime (before every record whose interval it gives), the original's five, the optional
// vmstat and loadavg, then the cgroup ones (container[*], service[*]).
const std::vector<std::string_view>& all_subsystems();

// The default set: the original's (cpuinfo + stat, meminfo, net/dev, diskstats, statfs[*]).
std::vector<std::string> default_subsystems();
std::string default_subsystems_text();

// Parses PCC_SUBSYSTEMS: a comma-separated list of subsystem names; the word "default" stands
// for the default set, so "default,/proc/vmstat,/proc/loadavg" adds both extras. Duplicates are
// ignored; the result is in tick order whatever the order given. Throws UsageError naming
// `variable` on an unknown name or an empty list.
std::vector<std::string> parse_subsystems(std::string_view text, std::string_view variable);

// The file a /proc subsystem reads, relative to the proc root ("/proc/net/dev" -> "net/dev").
// Empty for statfs[*].
std::string_view proc_relative_path(std::string_view subsystem);

}  // namespace pc::collect
