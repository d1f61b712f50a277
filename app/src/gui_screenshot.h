// Writing the GL back buffer to a PNG (glReadPixels, flipped, stb_image_write).
#pragma once

#include <string>

namespace sockstep::app {

// Reads the current back buffer (width x height) and writes it as PNG. Call after ImGui has
// rendered and before the buffer swap. Only a regular file is ever replaced, every write is
// checked, and a failed write leaves no half file. Returns an error naming the path, or "".
std::string WriteBackBufferPng(const std::string& path, int width, int height);

}  // namespace sockstep::app
