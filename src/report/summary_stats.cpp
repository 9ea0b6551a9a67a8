#include "pc/report/summary_stats.hpp"

#include <algorithm>
#include <cmath>

namespace pc::report {

SummaryStats summarize(const std::vector<double>& values) {
    std::vector<double> v;
    v.reserve(values.size());
    for (double x : values) {
        if (!std::isnan(x)) v.push_back(x);
    }
    SummaryStats s;
    s.count = v.size();
    if (v.empty()) return s;
    double sum = 0;
    for (double x : v) sum += x;
    s.average = sum / static_cast<double>(v.size());
    // Nearest rank: ceil(0.95 n), 1-based.
    const auto rank = static_cast<std::size_t>(std::ceil(0.95 * static_cast<double>(v.size())));
    const std::size_t k = std::max<std::size_t>(rank, 1) - 1;
    std::nth_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(k), v.end());
    s.p95 = v[k];
    s.max = *std::max_element(v.begin(), v.end());
    return s;
}

}  // namespace pc::report
