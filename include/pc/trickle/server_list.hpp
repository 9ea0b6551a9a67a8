// PCC_SERVER_URL may name several pcd replicas, comma-separated: pcc sends to one and moves to
// the next on connection errors and 5xx (the servers share one store that keeps batches once).
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace pc::trickle {

// The list's elements in order, each trimmed of spaces; an empty element stays (empty) so the
// caller can name it. "a, b" -> {"a", "b"}; "" -> {""}.
std::vector<std::string> split_server_list(std::string_view list);

}  // namespace pc::trickle
