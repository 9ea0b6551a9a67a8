// The summary table's figures of one series: average, 95th percentile and maximum.
#pragma once

#include <cstddef>
#include <vector>

namespace pc::report {

struct SummaryStats {
    std::size_t count = 0;  // values used (NaN left out)
    double average = 0;
    double p95 = 0;  // nearest rank: the smallest value with at least 95 % of values <= it
    double max = 0;
};

SummaryStats summarize(const std::vector<double>& values);

}  // namespace pc::report
