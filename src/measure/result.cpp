#include "pc/measure/result.hpp"

#include <algorithm>
#include <cmath>

namespace pc::measure {

void summarize(MeasureResult& result) {
    result.max_units = 0;
    result.avg_units = 0;
    result.units_per_sec = 0;
    if (result.results.empty()) return;
    std::uint64_t total = 0;
    const LevelResult* top = &result.results.front();
    for (const auto& level : result.results) {
        result.max_units = std::max(result.max_units, level.work_units);
        total += level.work_units;
        if (level.busy_pct >= top->busy_pct) top = &level;
    }
    const auto levels = static_cast<std::uint64_t>(result.results.size());
    result.avg_units = (total + levels / 2) / levels;
    if (top->busy_core_seconds > 0 && result.num_cores > 0) {
        const double busy_seconds = top->busy_core_seconds / result.num_cores;
        result.units_per_sec =
            std::round(static_cast<double>(top->work_units) / busy_seconds * 100) / 100;
    }
}

}  // namespace pc::measure
