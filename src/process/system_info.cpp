#include "pc/process/system_info.hpp"

#include "pc/process/go_float.hpp"
#include "pc/record/go_json.hpp"

namespace pc::process {

std::string render_system_info(const procfs::CpuInfoSummary& info) {
    std::string out = "{\n";
    bool first = true;
    auto key = [&](const char* name) {
        if (!first) out += ",\n";
        first = false;
        out += "  \"";
        out += name;
        out += "\": ";
    };
    auto str = [&](const char* name, const std::string& v) {
        key(name);
        record::append_go_json_string(out, v);
    };
    auto integer = [&](const char* name, std::int64_t v) {
        key(name);
        append_int(out, v);
    };
    auto real = [&](const char* name, double v) {
        key(name);
        append_go_json_float(out, v);
    };
    str("vendor_id", info.vendor_id);
    str("model_name", info.model_name);
    integer("cpu_cores", info.cpu_cores);
    integer("siblings", info.siblings);
    real("cpu_mhz", info.cpu_mhz);
    str("cache_size", info.cache_size);
    integer("total_cpus", info.total_cpus);
    integer("physical_cpus", info.physical_cpus);
    real("bogomips", info.bogomips);
    str("flags", info.flags);
    out += "\n}\n";
    return out;
}

}  // namespace pc::process
