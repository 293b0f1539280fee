// How a backend opens its database (shared by src/storage/sqlite and
// src/storage/postgres).
#pragma once

namespace gugus::storage {

// kCreateOrUpgrade creates the database when missing and applies missing
// migrations (`gugus init`); kExisting refuses a missing or out-of-date database.
enum class OpenMode { kExisting, kCreateOrUpgrade };

}  // namespace gugus::storage
