// pcprocess's html format: the process module's HtmlReport made by a ReportBuilder.
#pragma once

#include "pc/process/html_report.hpp"

namespace pc::report {

process::HtmlReportFactory pcprocess_report_factory();

}  // namespace pc::report
