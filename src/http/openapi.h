// The OpenAPI 3 document of the API, generated from the route table (api.h), so it
// cannot drift from the routes that exist. Thread-safe.
#pragma once

#include <nlohmann/json.hpp>

namespace gugus::http {

const nlohmann::json& OpenApiDocument();

}  // namespace gugus::http
