// Writing the GL back buffer to a PNG (glReadPixels, flipped, stb_image_write).
#pragma once

#include <string>

namespace sockstep::app {

// Reads the current back buffer (width x height) and writes it as PNG. Call after ImGui has
// rendered and before the buffer swap. Returns an error message, empty on success.
std::string WriteBackBufferPng(const std::string& path, int width, int height);

}  // namespace sockstep::app
