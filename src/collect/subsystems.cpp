#include "pc/collect/subsystems.hpp"

#include <algorithm>

#include "pc/core/error.hpp"
#include "pc/core/strings.hpp"

namespace pc::collect {

namespace {}  // namespace

const std::vector<std::string_view>& all_subsystems() {
    static const std::vector<std::string_view> all{kCpuinfo, kUptime,     kStat,    kMeminfo,
                                                   kNetDev,  kDiskstats,  kStatfs,  kVmstat,
                                                   kLoadavg, kContainers, kServices};
    return all;
}

std::vector<std::string> default_subsystems() {
    return {std::string(kCpuinfo), std::string(kStat),      std::string(kMeminfo),
            std::string(kNetDev),  std::string(kDiskstats), std::string(kStatfs)};
}

std::string default_subsystems_text() {
    std::string text;
    for (const auto& s : default_subsystems()) {
        if (!text.empty()) text += ',';
        text += s;
    }
    return text;
}

std::vector<std::string> parse_subsystems(std::string_view text, std::string_view variable) {
    std::vector<bool> wanted(all_subsystems().size(), false);
    auto want = [&](std::string_view name) {
        auto it = std::find(all_subsystems().begin(), all_subsystems().end(), name);
        if (it == all_subsystems().end()) return false;
        wanted[static_cast<std::size_t>(it - all_subsystems().begin())] = true;
        return true;
    };
    std::size_t pos = 0;
    while (pos <= text.size()) {
        std::size_t end = text.find(',', pos);
        if (end == std::string_view::npos) end = text.size();
        auto name = core::trim_blanks(text.substr(pos, end - pos));
        pos = end + 1;
        if (name.empty()) continue;
        if (name == "default") {
            for (const auto& d : default_subsystems()) want(d);
        } else if (!want(name)) {
            throw core::UsageError(std::string(variable) + ": unknown subsystem \"" +
                                   std::string(name) + "\"; use a comma-separated list of " +
                                   default_subsystems_text() +
                                   ",/proc/uptime,/proc/vmstat,/proc/loadavg,container[*],"
                                   "service[*] (e.g. \"default,/proc/uptime\")");
        }
    }
    std::vector<std::string> result;
    for (std::size_t i = 0; i < wanted.size(); ++i) {
        if (wanted[i]) result.emplace_back(all_subsystems()[i]);
    }
    if (result.empty()) {
        throw core::UsageError(
            std::string(variable) +
            ": no subsystem given; use e.g. \"default\" or \"/proc/stat,statfs[*]\"");
    }
    return result;
}

std::string_view proc_relative_path(std::string_view subsystem) {
    constexpr std::string_view prefix = "/proc/";
    if (subsystem.substr(0, prefix.size()) != prefix) return {};
    return subsystem.substr(prefix.size());
}

}  // namespace pc::collect
