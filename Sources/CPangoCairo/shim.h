#ifndef CPANGOCAIRO_SHIM_H
#define CPANGOCAIRO_SHIM_H
/* Pango (text layout: Cyrillic, kerning, font fallback through fontconfig) drawing on cairo's PDF
   surface (Debian's libpango1.0-dev and libcairo2-dev). */
#include <cairo.h>
#include <cairo-pdf.h>
#include <pango/pangocairo.h>
#endif
