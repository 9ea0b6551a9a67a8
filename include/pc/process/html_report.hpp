// pcprocess's html format seen from the process module: the report is rendered a layer above
// (pc::report), so the program hands the run a factory for it (apps/pcprocess/main.cpp).
#pragma once

#include <functional>
#include <memory>
#include <string>

#include "pc/record/record.hpp"

namespace pc::process {

class HtmlReport {
public:
    virtual ~HtmlReport() = default;
    virtual void add(const record::Record& record) = 0;  // every record, in order
    virtual std::string html() const = 0;                // the whole page
};

struct HtmlReportInfo {
    std::string identifier;  // the machine id (perf.csv's machine_id)
    std::string generator;   // "pcprocess 1.4.0, default mode"
};

using HtmlReportFactory = std::function<std::unique_ptr<HtmlReport>(const HtmlReportInfo&)>;

}  // namespace pc::process
