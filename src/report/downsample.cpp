#include "pc/report/downsample.hpp"

#include <cmath>
#include <limits>
#include <map>

namespace pc::report {

namespace {

constexpr double kNone = std::numeric_limits<double>::quiet_NaN();

class Writer {
public:
    Writer(const TimeTable& table, DisplayRows& out)
        : table_(table), out_(out), step_(usual_step(table.times())) {}

    // A row without values first when `ts` comes after a gap.
    void break_gap(std::int64_t ts) {
        if (has_last_ && ts - last_ > 2 * step_) {
            out_.times.push_back(last_ + step_);
            out_.cells.insert(out_.cells.end(), out_.series, kNone);
        }
    }

    void copy_row(std::size_t row) {
        const std::int64_t ts = table_.times()[row];
        break_gap(ts);
        out_.times.push_back(ts);
        for (std::size_t s = 0; s < out_.series; ++s) out_.cells.push_back(table_.values(s)[row]);
        remember(ts);
    }

    // Rows [first, end) as two rows: each series' minimum and maximum, in time order.
    void min_max_rows(std::size_t first, std::size_t end) {
        const auto& times = table_.times();
        break_gap(times[first]);
        const std::size_t row1 = out_.times.size();
        out_.times.push_back(times[first]);
        out_.times.push_back(times[end - 1]);
        out_.cells.resize(out_.cells.size() + 2 * out_.series, kNone);
        for (std::size_t s = 0; s < out_.series; ++s) {
            const auto& v = table_.values(s);
            std::size_t lo = end, hi = end;
            for (std::size_t r = first; r < end; ++r) {
                if (std::isnan(v[r])) continue;
                if (lo == end || v[r] < v[lo]) lo = r;
                if (hi == end || v[r] > v[hi]) hi = r;
            }
            if (lo == end) continue;
            const bool min_first = lo <= hi;
            out_.cells[row1 * out_.series + s] = min_first ? v[lo] : v[hi];
            out_.cells[(row1 + 1) * out_.series + s] = min_first ? v[hi] : v[lo];
        }
        remember(times[end - 1]);
    }

private:
    void remember(std::int64_t ts) {
        last_ = ts;
        has_last_ = true;
    }

    const TimeTable& table_;
    DisplayRows& out_;
    std::int64_t step_;
    std::int64_t last_ = 0;
    bool has_last_ = false;
};

}  // namespace

std::int64_t usual_step(const std::vector<std::int64_t>& times) {
    std::map<std::int64_t, std::size_t> counts;
    for (std::size_t i = 1; i < times.size(); ++i) {
        const std::int64_t d = times[i] - times[i - 1];
        if (d > 0) ++counts[d];
    }
    std::int64_t best = 1;
    std::size_t best_count = 0;
    for (const auto& [step, count] : counts) {
        if (count > best_count) {
            best = step;
            best_count = count;
        }
    }
    return best;
}

DisplayRows downsample(const TimeTable& table, std::size_t max_points) {
    DisplayRows out;
    out.series = table.columns();
    const std::size_t n = table.rows();
    if (n == 0 || out.series == 0) return out;
    if (max_points < 4) max_points = 4;
    Writer writer(table, out);
    if (n <= max_points) {
        for (std::size_t r = 0; r < n; ++r) writer.copy_row(r);
        return out;
    }
    const auto& times = table.times();
    const std::size_t buckets = max_points / 2;
    const double first = static_cast<double>(times.front());
    const double span = static_cast<double>(times.back() - times.front()) + 1;
    auto bucket_of = [&](std::int64_t ts) {
        return static_cast<std::size_t>((static_cast<double>(ts) - first) / span *
                                        static_cast<double>(buckets));
    };
    std::size_t i = 0;
    while (i < n) {
        const std::size_t b = bucket_of(times[i]);
        std::size_t j = i + 1;
        while (j < n && bucket_of(times[j]) == b) ++j;
        if (j - i == 1) {
            writer.copy_row(i);
        } else {
            writer.min_max_rows(i, j);
        }
        i = j;
    }
    return out;
}

}  // namespace pc::report
