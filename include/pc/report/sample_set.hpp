// The samples of one summary line (average, p95, maximum over every sample). The p95 needs them
// all, so they are kept, but compactly: the sar figures are numbers with two decimals, which
// are kept exactly as whole hundredths in 4 bytes. A line with any other value (a sum, a
// difference, more decimals) keeps its samples as doubles. Missing values (NaN) are left out.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "pc/report/summary_stats.hpp"

namespace pc::report {

class SampleSet {
public:
    void add(double value);
    std::size_t count() const { return count_; }
    // The samples in the order they were added: the very doubles given to add().
    std::vector<double> values() const;
    // The same figures as summarize(values()).
    SummaryStats stats() const;

private:
    std::vector<std::int32_t> hundredths_;  // while every sample is a whole number of them
    std::vector<double> doubles_;           // after the first one that is not
    bool in_doubles_ = false;
    std::size_t count_ = 0;
    double sum_ = 0;
    double max_ = 0;
};

}  // namespace pc::report
