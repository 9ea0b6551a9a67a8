// PgArrayWriter's binary arrays as the server reads them: each element type, NULLs, bytes
// that text would mangle, and an empty element.
#include "pc/store/pg_array.hpp"

#include <gtest/gtest.h>

#include "pc/store/pg_connection.hpp"
#include "postgres_server.hpp"

using pc::store::PgArrayWriter;
using pc::store::PgConnection;
using pc::store::PgParam;
using pc::test::PostgresEnvironment;

namespace {

std::string as_text(const std::string& cast, const std::string& array) {
    PgConnection conn({PostgresEnvironment::server().uri(), std::nullopt, "pctest"});
    return std::string(
        conn.exec("SELECT $1::" + cast + "::text", {PgParam{std::string_view(array), true}})
            .value(0, 0));
}

}  // namespace

TEST(PgArrayWriter, TheServerReadsEveryElementType) {
    PgArrayWriter ints(pc::store::kPgInt8);
    ints.add_int64(1);
    ints.add_int64(-2);
    ints.add_int64(INT64_MIN);
    EXPECT_EQ(as_text("bigint[]", ints.finish()), "{1,-2,-9223372036854775808}");

    PgArrayWriter small(pc::store::kPgInt4);
    small.add_int32(7);
    small.add_int32(-2147483647);
    EXPECT_EQ(as_text("integer[]", small.finish()), "{7,-2147483647}");

    PgArrayWriter texts(pc::store::kPgText);
    texts.add("alpha");
    texts.add_null();
    texts.add("");
    texts.add("\xc3\xa9 \"q\"");
    EXPECT_EQ(as_text("text[]", texts.finish()), "{alpha,NULL,\"\",\"\xc3\xa9 \\\"q\\\"\"}");

    PgArrayWriter bytes(pc::store::kPgBytea);
    bytes.add(std::string("a\0\n\xff", 4));
    EXPECT_EQ(as_text("bytea[]", bytes.finish()), "{\"\\\\x61000aff\"}");
}
