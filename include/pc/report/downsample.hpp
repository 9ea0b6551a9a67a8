// Display points of a TimeTable: at most `max_points` rows. The time span is cut into
// max_points / 2 equal columns (about one per pixel of a chart); each column keeps, for every
// series, its minimum and its maximum in the order they happened, so that a one-second spike in
// a day stays visible. A gap in the data (more than twice the usual step) gets a row without
// values so that the chart breaks its line instead of drawing across it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "pc/report/time_table.hpp"

namespace pc::report {

struct DisplayRows {
    std::vector<std::int64_t> times;  // one per row
    std::vector<double> cells;        // row-major, times.size() × series; NaN = no value
    std::size_t series = 0;
    std::size_t rows() const { return times.size(); }
    double at(std::size_t row, std::size_t s) const { return cells[row * series + s]; }
};

DisplayRows downsample(const TimeTable& table, std::size_t max_points);

// The usual step between rows: the most frequent difference between consecutive times (1 when
// fewer than two rows).
std::int64_t usual_step(const std::vector<std::int64_t>& times);

}  // namespace pc::report
