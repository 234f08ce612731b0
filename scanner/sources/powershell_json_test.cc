#include "sources/powershell_json.h"

#include <catch2/catch.hpp>

using namespace pp::sources;
using namespace std::string_literals;

namespace {

size_t objects_in(const std::string& text, std::string* error = nullptr) {
  JsonValue doc;
  std::vector<const JsonValue*> objects;
  std::string err = read_export_objects(text, "x.json", "a test export", "run the test cmdlet", doc, objects);
  if (error) *error = err;
  return objects.size();
}

}  // namespace

TEST_CASE("an export's objects: one object, an array, PowerShell 5.1's wrapped array") {
  CHECK(objects_in(R"({"Name": "a"})") == 1);
  CHECK(objects_in(R"([{"Name": "a"}, {"Name": "b"}])") == 2);
  CHECK(objects_in(R"({"value": [{"Name": "a"}, {"Name": "b"}, {"Name": "c"}], "Count": 3})") == 3);
  // Without Count it is an object that happens to have a "value" member.
  CHECK(objects_in(R"({"value": [{"Name": "a"}]})") == 1);
  // UTF-16LE with its byte order mark, as Windows PowerShell's '>' writes it.
  CHECK(objects_in("\xFF\xFE[\0{\0}\0]\0"s) == 1);
}

TEST_CASE("an export that is no object or array, or no JSON, is one positioned error") {
  std::string err;
  CHECK(objects_in("\n  42", &err) == 0);
  CHECK(err == "x.json:2:3: not a test export: run the test cmdlet");
  CHECK(objects_in("[1,", &err) == 0);
  CHECK(err.rfind("x.json:1:", 0) == 0);
}

TEST_CASE("the head of a file that starts like JSON, for guessing its kind") {
  CHECK(json_export_head("\xEF\xBB\xBF \r\n[{\"a\": 1}]") != "");
  CHECK(json_export_head("  {\"a\": 1}") == "  {\"a\": 1}");
  CHECK(json_export_head("Windows Registry Editor Version 5.00").empty());
  CHECK(json_export_head("").empty());
}
