import { Resvg } from '@resvg/resvg-js';
import { fontFamily, fontFiles } from '../fonts';

/** A chart's SVG as PNG (twice its size), for formats that need a raster fallback (DOCX). */
export function svgToPng(svg: string): Buffer {
  const resvg = new Resvg(svg, {
    font: { fontFiles, loadSystemFonts: false, defaultFontFamily: fontFamily },
    fitTo: { mode: 'zoom', value: 2 },
  });
  return resvg.render().asPng();
}

/** The pixel size an SVG declares on its root element. */
export function svgSize(svg: string): { width: number; height: number } {
  const width = /<svg[^>]*\swidth="([\d.]+)"/.exec(svg)?.[1];
  const height = /<svg[^>]*\sheight="([\d.]+)"/.exec(svg)?.[1];
  if (width === undefined || height === undefined) throw new Error('chart SVG: the root element has no width or height');
  return { width: Number(width), height: Number(height) };
}
