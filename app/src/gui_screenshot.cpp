// Writing the GL back buffer to a PNG. libstb provides stbi_write_png_to_func (Debian builds the
// implementation into libstb, so no STB_IMAGE_WRITE_IMPLEMENTATION here).
#include "gui_screenshot.h"

#include <glad/gl.h>
#include <stb_image_write.h>

#include <cstring>
#include <vector>

#include "sockstep/core/user_file.h"

namespace sockstep::app {

std::string WriteBackBufferPng(const std::string& path, int width, int height) {
    if (width <= 0 || height <= 0) return "the window has no pixels to capture";
    const size_t row = static_cast<size_t>(width) * 4;
    std::vector<unsigned char> pixels(row * static_cast<size_t>(height));
    glPixelStorei(GL_PACK_ALIGNMENT, 1);
    glReadBuffer(GL_BACK);
    glReadPixels(0, 0, width, height, GL_RGBA, GL_UNSIGNED_BYTE, pixels.data());
    if (const GLenum error = glGetError(); error != GL_NO_ERROR) {
        return "glReadPixels failed with GL error " + std::to_string(error);
    }
    // GL's origin is bottom-left; PNG rows go top-down.
    std::vector<unsigned char> flipped(pixels.size());
    for (int y = 0; y < height; ++y) {
        std::memcpy(&flipped[static_cast<size_t>(y) * row],
                    &pixels[static_cast<size_t>(height - 1 - y) * row], row);
    }
    // stb's file writer does not check fwrite or fclose: encode in memory, then write with every
    // error checked, through a temporary file renamed into place.
    std::string png;
    const auto append = [](void* context, void* data, int size) {
        static_cast<std::string*>(context)->append(static_cast<const char*>(data),
                                                   static_cast<size_t>(size));
    };
    if (stbi_write_png_to_func(append, &png, width, height, 4, flipped.data(),
                               static_cast<int>(row)) == 0) {
        return "cannot encode the PNG for " + path;
    }
    return core::WriteUserFile(path, png, /*replace=*/true).value_or("");
}

}  // namespace sockstep::app
