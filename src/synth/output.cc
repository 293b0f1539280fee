#include "synth/output.h"

#include <cerrno>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

#include "core/strcat.h"

namespace gugus::synth::internal {

using SV = std::string_view;

absl::Status IoError(std::string_view what, const std::string& path, int err) {
  std::string message = gugus::StrCat(what, " ", path, ": ", std::strerror(err));
  if (err == EACCES || err == EPERM || err == EROFS) {
    return absl::PermissionDeniedError(message);
  }
  return absl::InternalError(message);
}

void AppendField(std::string& line, SV field, char delim, bool quote_all) {
  bool quote = quote_all;
  for (size_t i = 0; i < field.size() && !quote; ++i) {
    char c = field[i];
    quote = c == delim || c == '"' || c == '\n' || c == '\r';
  }
  if (!quote) {
    line.append(field);
    return;
  }
  line += '"';
  size_t start = 0;
  for (size_t q = field.find('"'); q != SV::npos; q = field.find('"', start)) {
    line.append(field.substr(start, q + 1 - start));
    line += '"';
    start = q + 1;
  }
  line.append(field.substr(start));
  line += '"';
}

void AppendPadded(int64_t value, int width, std::string& out) {
  char buf[24];
  int n = 0;
  do {
    buf[n++] = static_cast<char>('0' + value % 10);
    value /= 10;
  } while (value > 0);
  for (int i = n; i < width; ++i) out += '0';
  while (n > 0) out += buf[--n];
}

void AppendWindows1252(SV utf8, std::string& out) {
  for (size_t i = 0; i < utf8.size();) {
    unsigned char c = static_cast<unsigned char>(utf8[i]);
    if (c < 0x80) {
      out += static_cast<char>(c);
      ++i;
      continue;
    }
    char32_t cp = 0;
    size_t len = 1;
    if ((c & 0xE0) == 0xC0 && i + 1 < utf8.size()) {
      cp = ((c & 0x1Fu) << 6) | (static_cast<unsigned char>(utf8[i + 1]) & 0x3Fu);
      len = 2;
    } else if ((c & 0xF0) == 0xE0 && i + 2 < utf8.size()) {
      cp = ((c & 0x0Fu) << 12) |
           ((static_cast<unsigned char>(utf8[i + 1]) & 0x3Fu) << 6) |
           (static_cast<unsigned char>(utf8[i + 2]) & 0x3Fu);
      len = 3;
    } else if ((c & 0xF8) == 0xF0) {
      len = 4;
    }
    i += len;
    if (cp >= 0xA0 && cp <= 0xFF) {
      out += static_cast<char>(cp);
      continue;
    }
    switch (cp) {
      case 0x20AC:
        out += '\x80';
        break;
      case 0x2018:
        out += '\x91';
        break;
      case 0x2019:
        out += '\x92';
        break;
      case 0x201C:
        out += '\x93';
        break;
      case 0x201D:
        out += '\x94';
        break;
      case 0x2013:
        out += '\x96';
        break;
      case 0x2014:
        out += '\x97';
        break;
      default:
        out += '?';
        break;
    }
  }
}

void AppendIsoDate(const Date& d, std::string& out) {
  char buf[10] = {static_cast<char>('0' + d.year / 1000 % 10),
                  static_cast<char>('0' + d.year / 100 % 10),
                  static_cast<char>('0' + d.year / 10 % 10),
                  static_cast<char>('0' + d.year % 10),
                  '-',
                  static_cast<char>('0' + d.month / 10),
                  static_cast<char>('0' + d.month % 10),
                  '-',
                  static_cast<char>('0' + d.day / 10),
                  static_cast<char>('0' + d.day % 10)};
  out.append(buf, sizeof(buf));
}

}  // namespace gugus::synth::internal
