// Subsystem names exactly as they appear in collections: a wire contract shared by the agent
// that writes them and every reader (pcprocess, validate, pcd), so they are spelled only here.
#pragma once

#include <string_view>

namespace pc::record::subsystem {

inline constexpr std::string_view kCpuinfo = "/proc/cpuinfo";
inline constexpr std::string_view kStat = "/proc/stat";
inline constexpr std::string_view kMeminfo = "/proc/meminfo";
inline constexpr std::string_view kNetDev = "/proc/net/dev";
inline constexpr std::string_view kDiskstats = "/proc/diskstats";
inline constexpr std::string_view kStatfs = "statfs[*]";
inline constexpr std::string_view kVmstat = "/proc/vmstat";
inline constexpr std::string_view kLoadavg = "/proc/loadavg";
inline constexpr std::string_view kUptime = "/proc/uptime";

// cgroup v2 records, one per container or service and tick: "container/<runtime>/<12 hex>",
// "service/systemd/<unit>". The names below select them in PCC_SUBSYSTEMS.
inline constexpr std::string_view kContainerPrefix = "container/";
inline constexpr std::string_view kServicePrefix = "service/";
inline constexpr std::string_view kContainers = "container[*]";
inline constexpr std::string_view kServices = "service[*]";

}  // namespace pc::record::subsystem
