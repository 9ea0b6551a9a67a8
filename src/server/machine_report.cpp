#include "pc/server/machine_report.hpp"

#include "pc/core/version.hpp"
#include "pc/record/codec.hpp"
#include "pc/report/report_builder.hpp"
#include "pc/server/dashboard_pages.hpp"
#include "pc/store/store.hpp"

namespace pc::server {

MachineReport write_machine_report(const store::Store& store, std::string_view identifier,
                                   store::TimeRange range, const std::string& banner_html,
                                   std::ostream& out) {
    MachineReport result;
    auto stream = store.read(identifier, range);
    if (!stream) return result;
    result.found = true;
    report::ReportOptions options;
    options.identifier = std::string(identifier);
    options.generator = "pcd " + std::string(core::version());
    options.banner_html = banner_html;
    if (!banner_html.empty()) options.banner_style = std::string(machine_banner_style());
    report::ReportBuilder builder(std::move(options));
    std::string chunk;
    while (stream->next(chunk)) {
        std::string_view rest(chunk);
        while (!rest.empty()) {
            const auto nl = rest.find('\n');
            auto decoded = record::decode_record(rest.substr(0, nl));
            rest.remove_prefix(nl == std::string_view::npos ? rest.size() : nl + 1);
            if (!decoded.record) continue;  // pcd stores only lines it encoded itself
            builder.add(*decoded.record);
            ++result.records;
        }
    }
    builder.write(out);
    return result;
}

}  // namespace pc::server
