// pcprocess's command line: flags, environment variables, logging, exit status.
#pragma once

#include "pc/process/html_report.hpp"

namespace pc::process {

// The whole of pcprocess's main(): 0 on success, 1 on a fatal error (one line on stderr).
// `html_report` makes the html format's report (the program passes pc::report's).
int pcprocess_main(int argc, char** argv, HtmlReportFactory html_report = {});

}  // namespace pc::process
