#include "pc/report/sample_set.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace pc::report {

namespace {

// `value` as a whole number of hundredths that gives back the very same double, if it is one.
bool as_hundredths(double value, std::int32_t& out) {
    if (value == 0 && std::signbit(value)) return false;  // -0 prints as "-0.00"
    const double scaled = std::round(value * 100);
    if (!(std::abs(scaled) < static_cast<double>(std::numeric_limits<std::int32_t>::max()))) {
        return false;
    }
    const auto h = static_cast<std::int32_t>(scaled);
    if (static_cast<double>(h) / 100 != value) return false;
    out = h;
    return true;
}

double from_hundredths(std::int32_t h) {
    return static_cast<double>(h) / 100;
}

}  // namespace

void SampleSet::add(double value) {
    if (std::isnan(value)) return;
    // Summed in order, as summarize() does: the same average to the last bit.
    sum_ += value;
    max_ = count_ == 0 ? value : std::max(max_, value);
    ++count_;
    std::int32_t h = 0;
    if (!in_doubles_ && as_hundredths(value, h)) {
        hundredths_.push_back(h);
        return;
    }
    if (!in_doubles_) {
        doubles_.reserve(hundredths_.capacity() + 1);
        for (std::int32_t k : hundredths_) doubles_.push_back(from_hundredths(k));
        std::vector<std::int32_t>().swap(hundredths_);
        in_doubles_ = true;
    }
    doubles_.push_back(value);
}

std::vector<double> SampleSet::values() const {
    if (in_doubles_) return doubles_;
    std::vector<double> out;
    out.reserve(hundredths_.size());
    for (std::int32_t h : hundredths_) out.push_back(from_hundredths(h));
    return out;
}

SummaryStats SampleSet::stats() const {
    SummaryStats s;
    s.count = count_;
    if (count_ == 0) return s;
    s.average = sum_ / static_cast<double>(count_);
    s.max = max_;
    // Nearest rank: ceil(0.95 n), 1-based.
    const auto rank = static_cast<std::size_t>(std::ceil(0.95 * static_cast<double>(count_)));
    const auto k = static_cast<std::ptrdiff_t>(std::max<std::size_t>(rank, 1) - 1);
    if (in_doubles_) {
        std::vector<double> v = doubles_;
        std::nth_element(v.begin(), v.begin() + k, v.end());
        s.p95 = v[static_cast<std::size_t>(k)];
    } else {
        std::vector<std::int32_t> v = hundredths_;
        std::nth_element(v.begin(), v.begin() + k, v.end());
        s.p95 = from_hundredths(v[static_cast<std::size_t>(k)]);
    }
    return s;
}

}  // namespace pc::report
