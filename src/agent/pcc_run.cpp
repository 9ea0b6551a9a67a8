#include "pc/agent/pcc_run.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <cstdio>
#include <string>
#include <vector>

#include "pc/agent/make_sink.hpp"
#include "pc/collect/cgroup_sampler.hpp"
#include "pc/collect/collection_loop.hpp"
#include "pc/collect/sampler.hpp"
#include "pc/collect/schedule.hpp"
#include "pc/collect/stop_signal.hpp"
#include "pc/core/logging.hpp"
#include "pc/core/version.hpp"

namespace pc::agent {

namespace {

void log_banner(const PccConfig& config) {
    spdlog::info("{} starting", core::version_line("pcc"));
    auto lines = printable_config(config);
    std::size_t width = 0;
    for (const auto& [key, value] : lines) width = std::max(width, key.size());
    for (const auto& [key, value] : lines) {
        spdlog::info("{:<{}}: {}", key, width, value);
    }
}

// Long enough for a healthy network mount, short enough to keep the schedule.
std::chrono::milliseconds statfs_deadline(core::Duration frequency) {
    auto half = std::chrono::duration_cast<std::chrono::milliseconds>(frequency / 2);
    return std::min(half, std::chrono::milliseconds(5000));
}

std::string final_line(const PccConfig& config, std::uint64_t sampled,
                       const record::SinkReport& r) {
    if (config.mode == PccMode::local) {
        std::string line =
            "sampled " + std::to_string(sampled) + " ticks, wrote " + std::to_string(r.delivered) +
            " to " + config.collection.string() +
            (config.rotate != collect::RotateEvery::never ? " and its rotated files" : "");
        if (r.failed > 0) line += ", lost " + std::to_string(r.failed) + " to write errors";
        return line;
    }
    std::string line = "sampled " + std::to_string(sampled) + " ticks, delivered " +
                       std::to_string(r.delivered) + " to " + config.server_url +
                       ", dropped by the spool cap " + std::to_string(r.dropped) +
                       ", refused by the server " + std::to_string(r.refused) +
                       ", failed to spool " + std::to_string(r.failed);
    if (r.pending > 0) {
        line += "; " + std::to_string(r.pending) + " ticks remain spooled in " +
                config.spool_dir.string() + " for the next run";
    }
    if (r.key_refused) line += "; the server refuses PCC_APIKEY";
    return line;
}

// The original container collector's plain stdout lines (no log prefix).
void say(const std::string& line) {
    std::string l = line + "\n";
    std::fwrite(l.data(), 1, l.size(), stdout);
    std::fflush(stdout);
}

std::string go_list(const std::vector<std::string>& items) {
    std::string out = "[";
    for (std::size_t i = 0; i < items.size(); ++i) out += (i ? " " : "") + items[i];
    return out + "]";
}

}  // namespace

int exit_status(PccMode mode, const record::SinkReport& report) {
    if (mode == PccMode::trickle && report.key_refused && report.pending > 0)
        return kExitKeyRefused;
    if (report.lost()) return kExitTicksLost;
    if (mode == PccMode::trickle && report.pending > 0) return kExitTicksSpooled;
    return kExitComplete;
}

int run_pcc(const PccConfig& config) {
    collect::StopSignal stop;
    collect::SignalWatcher watcher(stop);  // first, so every later thread inherits the signal mask

    core::setup_logging("pcc", config.log_level);
    log_banner(config);

    const bool cc = config.variant == PccVariant::container_collector;
    auto schedule = collect::TickSchedule::from(config.duration, config.frequency);
    if (cc) schedule.first = 0;
    auto sink = make_sink(config);
    collect::SamplerOptions sampler_options{config.procroot,
                                            config.subsystems,
                                            collect::system_statfs,
                                            statfs_deadline(config.frequency),
                                            {}};
    sampler_options.cgroups.cgroup_root = config.cgroup_root;
    sampler_options.cgroups.docker_root = config.docker_root;
    collect::Sampler sampler(std::move(sampler_options));
    if (cc) {
        std::vector<std::string> runtimes;
        auto root = collect::cgroup_v2_root(config.cgroup_root);
        for (const auto& f : root ? collect::find_cgroups(*root, true, false)
                                  : std::vector<collect::FoundCgroup>{}) {
            if (std::find(runtimes.begin(), runtimes.end(), f.unit.runtime) == runtimes.end())
                runtimes.push_back(f.unit.runtime);
        }
        std::sort(runtimes.begin(), runtimes.end());
        say("Performance Collector Client for Containers v" + std::string(core::version()));
        say("Collection file: " + config.collection.string());
        say("Duration: " + config.duration_text);
        say("Frequency: " + config.frequency_text);
        say("Detected runtimes: " + go_list(runtimes));
        say("Starting collection...");
    }

    const char* mode = config.mode == PccMode::local ? "local" : "trickle";
    if (config.forever) {
        spdlog::info("collecting until stopped, one tick every {} ({} mode)", config.frequency_text,
                     mode);
    } else {
        spdlog::info("collecting {} ticks, one every {} ({} mode)",
                     schedule.count + 1 - schedule.first, config.frequency_text, mode);
    }
    collect::LoopHooks hooks{[&](std::int64_t ts, bool first) { return sampler.sample(ts, first); },
                             collect::system_unix_now,
                             [&](record::Tick&& written) { sampler.recycle(std::move(written)); }};
    auto result =
        collect::run_collection_loop(schedule, hooks, *sink, stop, collect::mid_second_delay());

    auto drain = std::chrono::duration_cast<std::chrono::milliseconds>(config.drain_timeout);
    sink->finish(drain);
    if (result.stopped && config.forever) {
        spdlog::info("stopped by signal after {} ticks", result.ticks);
    } else if (result.stopped) {
        spdlog::info("stopped by signal after {} of {} ticks", result.ticks,
                     schedule.count + 1 - schedule.first);
    } else {
        spdlog::info("collection complete: {} ticks", result.ticks);
        if (cc) say("Collection complete");
    }
    if (result.skipped_ticks > 0) {
        spdlog::warn("{} ticks were skipped because sampling fell behind", result.skipped_ticks);
    }
    const auto report = sink->report();
    const int status = exit_status(config.mode, report);
    const std::string line = final_line(config, static_cast<std::uint64_t>(result.ticks), report);
    if (status == kExitComplete) {
        spdlog::info("{}", line);
    } else {
        spdlog::error("{}", line);
    }
    return status;
}

}  // namespace pc::agent
