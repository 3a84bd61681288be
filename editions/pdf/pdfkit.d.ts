/**
 * The part of pdfkit's API the PDF-edition builder uses. pdfkit ships no type declarations; this
 * keeps `tsc --noEmit` strict without adding @types/pdfkit.
 */
declare module 'pdfkit' {
  import type { Readable } from 'node:stream';

  interface PDFDocumentOptions {
    size?: string | [number, number];
    margins?: { top: number; bottom: number; left: number; right: number };
    autoFirstPage?: boolean;
    bufferPages?: boolean;
    compress?: boolean;
    pdfVersion?: string;
    displayTitle?: boolean;
    lang?: string;
    info?: Record<string, string | Date>;
  }

  interface TextOptions {
    lineBreak?: boolean;
    width?: number;
    align?: 'left' | 'right' | 'center' | 'justify';
    features?: string[] | Record<string, boolean>;
  }

  class PDFDocument extends Readable {
    constructor(options?: PDFDocumentOptions);
    page: { width: number; height: number };
    registerFont(name: string, src: string | Uint8Array, family?: string): this;
    font(name: string, size?: number): this;
    fontSize(size: number): this;
    fillColor(color: string, opacity?: number): this;
    strokeColor(color: string, opacity?: number): this;
    lineWidth(width: number): this;
    moveTo(x: number, y: number): this;
    lineTo(x: number, y: number): this;
    rect(x: number, y: number, w: number, h: number): this;
    fill(color?: string): this;
    stroke(color?: string): this;
    text(text: string, x?: number, y?: number, options?: TextOptions): this;
    widthOfString(text: string, options?: TextOptions): number;
    addPage(options?: PDFDocumentOptions): this;
    end(): void;
  }

  export default PDFDocument;
}
