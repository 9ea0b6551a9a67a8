// pcprocess's html format seen from the process module: the report is rendered a layer above
// (pc::report), so the program hands the run a factory for it (apps/pcprocess/main.cpp).
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "pc/process/sar_rows.hpp"
#include "pc/record/record.hpp"

namespace pc::process {

// Fed one of two ways. Compat mode: add() every record (the report computes default-mode
// rows itself). Default mode, where the run's own subsystems already compute the rows: the
// timestamp of every record, the rows as they are written, then the run's facts; the report
// computes nothing twice (what keeps the html format cheap) and the page is the same.
class HtmlReport {
public:
    virtual ~HtmlReport() = default;
    virtual void add(const record::Record& record) = 0;
    virtual void add_time(std::int64_t timestamp) = 0;
    virtual void add_rows(std::string_view output, std::string_view rows) = 0;
    virtual void set_facts(RunFacts facts) = 0;
    virtual std::string html() const = 0;  // the whole page
};

struct HtmlReportInfo {
    std::string identifier;  // the machine id (perf.csv's machine_id)
    std::string generator;   // "pcprocess 1.4.0, default mode"
};

using HtmlReportFactory = std::function<std::unique_ptr<HtmlReport>(const HtmlReportInfo&)>;

}  // namespace pc::process
