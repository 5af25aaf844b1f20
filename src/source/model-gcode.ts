// Finds the printer model a text G-code file was sliced for, in the parts of it link-sync reads.
//
// PrusaSlicer (and slicers derived from it) write the model twice: the printer check
// `M862.3 P "MK4S"` near the start (after the thumbnails), and `; printer_model = MK4S` in the
// settings block at the end (`; prusaslicer_config = begin` ... `= end`). A custom printer profile
// leaves printer_model empty, and then only a hand-written M862.3 can tell.

export interface GcodeModel {
  model: string;
  /** Where it was read: the settings block, or the firmware's printer check. */
  from: 'printer_model' | 'M862.3';
}

// `; printer_model = MK4S` alone on its line; the last one wins (it is the settings block's).
const PRINTER_MODEL = /^[ \t]*;[ \t]*printer_model[ \t]*=[ \t]*([^\r\n]*?)[ \t]*\r?$/gm;
// `M862.3 P "MK4S"`, `M862.3 P"MK4S" ; printer model check`, or unquoted `M862.3 P MK3S`.
const PRINTER_CHECK = /^[ \t]*M862\.3[ \t]+P[ \t]*(?:"([^"\r\n]*)"|([^\s;"]+))/m;

/**
 * The model named in `head` (the file's start) or `tail` (its end); undefined when neither names
 * one. The settings block is preferred: it is what the slicer was told; the check is the fallback.
 */
export function findGcodeModel(head: string, tail: string): GcodeModel | undefined {
  let last: string | undefined;
  for (const match of tail.matchAll(PRINTER_MODEL)) last = match[1];
  if (last !== undefined && last.trim() !== '') return { model: last.trim(), from: 'printer_model' };
  const check = PRINTER_CHECK.exec(head);
  const named = (check?.[1] ?? check?.[2])?.trim();
  if (named !== undefined && named !== '') return { model: named, from: 'M862.3' };
  return undefined;
}

/**
 * True while `text` ends inside a thumbnail comment block: the printer check comes after the
 * thumbnails, which can be larger than the head link-sync reads first.
 */
export function endsInsideThumbnail(text: string): boolean {
  const begin = text.lastIndexOf('thumbnail begin');
  const beginQoi = text.lastIndexOf('thumbnail_QOI begin');
  const beginJpg = text.lastIndexOf('thumbnail_JPG begin');
  const lastBegin = Math.max(begin, beginQoi, beginJpg);
  if (lastBegin === -1) return false;
  const end = Math.max(text.lastIndexOf('thumbnail end'), text.lastIndexOf('thumbnail_QOI end'), text.lastIndexOf('thumbnail_JPG end'));
  return end < lastBegin;
}
