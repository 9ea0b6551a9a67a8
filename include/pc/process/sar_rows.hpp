// The sar rows of a collection as they are computed, for readers other than the CSV writers
// (the HTML report): the same subsystem state machines in default mode, the same row text.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "pc/process/events.hpp"
#include "pc/procfs/cpuinfo.hpp"
#include "pc/record/record.hpp"

namespace pc::process {

// What a run found besides the sar rows: the header's host facts, what it left out, and the
// container and service tables.
struct RunFacts {
    std::optional<procfs::CpuInfoSummary> cpuinfo;  // the first /proc/cpuinfo
    std::uint64_t mem_total_kb = 0;                 // MemTotal of the latest /proc/meminfo
    std::size_t cpu_count = 0;                      // the most CPUs seen
    Events events;
    std::string containers_csv;  // containers.csv as default mode writes it; "" when none
    std::string services_csv;    // services.csv likewise
};

class SarRows {
public:
    // Called with the output's name ("proc/stat", "proc/meminfo", "proc/net/dev",
    // "proc/diskstats", "statfs_ALL", "proc/vmstat", "proc/loadavg") and the rows one record
    // produced, exactly as that file of the sar tree holds them (newline-terminated CSV lines).
    using Sink = std::function<void(std::string_view output, std::string_view rows)>;

    explicit SarRows(Sink sink);
    ~SarRows();
    SarRows(const SarRows&) = delete;
    SarRows& operator=(const SarRows&) = delete;

    // Every record of the collection, in order. A measurement that does not parse is counted
    // in events().bad_measurements and left out, as pcprocess does without --strict.
    void add(const record::Record& record);

    const Events& events() const;
    // The first /proc/cpuinfo of the collection, when there was one.
    const std::optional<procfs::CpuInfoSummary>& cpuinfo() const;
    // MemTotal in kB from the latest /proc/meminfo; 0 when none.
    std::uint64_t mem_total_kb() const;
    // The most CPUs a /proc/stat showed.
    std::size_t cpu_count() const;
    // containers.csv and services.csv as pcprocess writes them in default mode; "" when the
    // collection has no such records.
    std::string containers_csv() const;
    std::string services_csv() const;
    // All of the above.
    RunFacts facts() const;

private:
    struct State;
    std::unique_ptr<State> state_;
};

}  // namespace pc::process
