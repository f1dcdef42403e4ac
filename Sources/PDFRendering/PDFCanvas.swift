import CPangoCairo
import Foundation

/// A PDF being drawn: cairo's PDF surface, written into memory, with pango laying out the text
/// (shaping, Cyrillic, fallback to any font fontconfig knows). The only type that holds the C
/// pointers; everything else speaks points and strings. Not thread-safe: one per document.
public final class PDFCanvas {
    public enum Alignment: Sendable { case left, center, right }

    /// A4 in points (1/72 inch).
    public static let a4 = (width: 595.28, height: 841.89)

    /// Where cairo's stream callback appends the bytes it writes.
    private final class Sink {
        var data = Data()
    }

    public let width: Double
    public let height: Double
    private let sink = Sink()
    private let surface: OpaquePointer
    private let cairo: OpaquePointer
    private var finished = false
    /// The family pango asks fontconfig for; DejaVu (Debian's fonts-dejavu-core) covers Cyrillic and ₽.
    public var fontFamily = "DejaVu Sans"

    public init(width: Double = PDFCanvas.a4.width, height: Double = PDFCanvas.a4.height, title: String? = nil) {
        self.width = width
        self.height = height
        surface = cairo_pdf_surface_create_for_stream({ closure, bytes, length in
            guard let closure, let bytes else { return CAIRO_STATUS_WRITE_ERROR }
            Unmanaged<Sink>.fromOpaque(closure).takeUnretainedValue().data.append(bytes, count: Int(length))
            return CAIRO_STATUS_SUCCESS
        }, Unmanaged.passUnretained(sink).toOpaque(), width, height)
        cairo = cairo_create(surface)
        if let title { cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_TITLE, title) }
        cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_CREATOR, "crm billing-service")
    }

    deinit {
        if !finished { close() }
    }

    /// Draws `text` with its top-left corner at (x, y) and returns the height it took. Within
    /// `width` it is aligned; with `wrap` it breaks into lines to fit it, without it stays one line
    /// (amounts are never broken) and may run over on the left when right-aligned.
    @discardableResult
    public func text(_ text: String, x: Double, y: Double, width: Double? = nil, size: Double = 10, bold: Bool = false,
                     alignment: Alignment = .left, wrap: Bool = true, gray: Double = 0) -> Double {
        guard let layout = pango_cairo_create_layout(cairo) else { return 0 }
        defer { g_object_unref(UnsafeMutableRawPointer(layout)) }
        let font = pango_font_description_new()
        pango_font_description_set_family(font, fontFamily)
        pango_font_description_set_weight(font, bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL)
        pango_font_description_set_absolute_size(font, size * Double(PANGO_SCALE))
        pango_layout_set_font_description(layout, font)
        pango_font_description_free(font)
        if let width, wrap {
            pango_layout_set_width(layout, Int32(width * Double(PANGO_SCALE)))
            pango_layout_set_wrap(layout, PANGO_WRAP_WORD_CHAR)
            switch alignment {
            case .left: pango_layout_set_alignment(layout, PANGO_ALIGN_LEFT)
            case .center: pango_layout_set_alignment(layout, PANGO_ALIGN_CENTER)
            case .right: pango_layout_set_alignment(layout, PANGO_ALIGN_RIGHT)
            }
        }
        pango_layout_set_text(layout, text, -1)
        var ink = PangoRectangle()
        var logical = PangoRectangle()
        pango_layout_get_extents(layout, &ink, &logical)
        var left = x
        if let width, !wrap {
            let used = Double(logical.width) / Double(PANGO_SCALE)
            switch alignment {
            case .left: break
            case .center: left += (width - used) / 2
            case .right: left += width - used
            }
        }
        cairo_set_source_rgb(cairo, gray, gray, gray)
        cairo_move_to(cairo, left, y)
        pango_cairo_show_layout(cairo, layout)
        return Double(logical.height) / Double(PANGO_SCALE)
    }

    /// A straight line, `lineWidth` points thick.
    public func line(from start: (x: Double, y: Double), to end: (x: Double, y: Double), lineWidth: Double = 0.5, gray: Double = 0) {
        cairo_set_source_rgb(cairo, gray, gray, gray)
        cairo_set_line_width(cairo, lineWidth)
        cairo_move_to(cairo, start.x, start.y)
        cairo_line_to(cairo, end.x, end.y)
        cairo_stroke(cairo)
    }

    /// Ends the page; what is drawn next goes on a new one.
    public func newPage() {
        cairo_show_page(cairo)
    }

    /// Ends the document and gives its bytes. Throws when cairo reports an error.
    public func finish() throws -> Data {
        let drawing = cairo_status(cairo)
        let writing = close()
        for status in [drawing, writing] where status != CAIRO_STATUS_SUCCESS {
            throw PDFError(description: "cairo: " + String(cString: cairo_status_to_string(status)))
        }
        return sink.data
    }

    /// Frees cairo's objects; finishing the surface writes the rest of the file into the sink.
    @discardableResult
    private func close() -> cairo_status_t {
        finished = true
        cairo_destroy(cairo)
        cairo_surface_finish(surface)
        let status = cairo_surface_status(surface)
        cairo_surface_destroy(surface)
        return status
    }
}

public struct PDFError: Error, CustomStringConvertible, Sendable {
    public var description: String
}
