/**
 * The attributes of KML placemarks (<ExtendedData>), which GDAL's KML driver does not read:
 * it gives only Name and Description, and the LIBKML driver that reads more is not in
 * gdal3.js. QGIS and ArcGIS put every attribute there, as
 *
 *   <SchemaData><SimpleData name="code">K-001</SimpleData></SchemaData>   or
 *   <Data name="code"><value>K-001</value></Data>
 *
 * The placemarks are grouped by their nearest Document or Folder, the way GDAL makes a layer
 * of each; the caller matches a group to a GDAL layer by the placemarks' names.
 *
 * A small tokenizer is enough: GDAL (expat) has already parsed the same file, so it is
 * well-formed XML, and only elements, text, CDATA and the `name` attribute matter.
 */

export interface KmlPlacemark {
  name: string;
  data: Record<string, string>;
}

export interface KmlPlacemarkGroup {
  /** The <name> of the Document or Folder; '' when it has none. */
  container: string;
  placemarks: KmlPlacemark[];
}

const TOKEN = /<!--[\s\S]*?-->|<!\[CDATA\[([\s\S]*?)\]\]>|<[?!][^>]*>|<(\/?)([^\s/>]+)([^>]*?)(\/?)>|([^<]+)/g;
const CONTAINERS = new Set(['Document', 'Folder']);

export function readKmlPlacemarks(xml: string): KmlPlacemarkGroup[] {
  const groups: KmlPlacemarkGroup[] = [];
  const containers: KmlPlacemarkGroup[] = [];
  const open: string[] = []; // local names of the open elements
  let placemark: KmlPlacemark | undefined;
  let dataKey: string | undefined; // the name of the open <Data> element
  // Text being collected, and where it goes when its element closes.
  let capture: { depth: number; text: string; store: (text: string) => void } | undefined;

  for (const token of xml.matchAll(TOKEN)) {
    const [whole, cdata, closing, qualifiedName, attributes, selfClosing, text] = token;
    if (text !== undefined || cdata !== undefined) {
      if (capture) capture.text += cdata ?? decodeEntities(text!);
      continue;
    }
    if (qualifiedName === undefined || whole.startsWith('<!') || whole.startsWith('<?')) continue;
    const local = qualifiedName.slice(qualifiedName.indexOf(':') + 1);

    if (closing) {
      if (capture && capture.depth === open.length) {
        capture.store(capture.text.trim());
        capture = undefined;
      }
      open.pop();
      if (CONTAINERS.has(local)) containers.pop();
      else if (local === 'Placemark') placemark = undefined;
      else if (local === 'Data') dataKey = undefined;
      continue;
    }

    const parent = open[open.length - 1];
    if (selfClosing) continue; // <name/>, <SimpleData name="x"/>: nothing to keep
    open.push(local);
    const depth = open.length;

    if (CONTAINERS.has(local)) {
      const group = { container: '', placemarks: [] };
      groups.push(group);
      containers.push(group);
    } else if (local === 'Placemark') {
      placemark = { name: '', data: {} };
      let group = containers[containers.length - 1];
      if (!group) {
        group = { container: '', placemarks: [] };
        groups.push(group);
      }
      group.placemarks.push(placemark);
    } else if (local === 'name' && parent === 'Placemark' && placemark) {
      const target = placemark;
      capture = { depth, text: '', store: (value) => { target.name = value; } };
    } else if (local === 'name' && parent !== undefined && CONTAINERS.has(parent)) {
      const group = containers[containers.length - 1]!;
      capture = { depth, text: '', store: (value) => { group.container = value; } };
    } else if (placemark && local === 'SimpleData') {
      const key = attribute(attributes!, 'name');
      const target = placemark;
      if (key) capture = { depth, text: '', store: (value) => { target.data[key] = value; } };
    } else if (placemark && local === 'Data') {
      dataKey = attribute(attributes!, 'name');
    } else if (placemark && local === 'value' && parent === 'Data' && dataKey) {
      const key = dataKey;
      const target = placemark;
      capture = { depth, text: '', store: (value) => { target.data[key] = value; } };
    }
  }
  return groups.filter((group) => group.placemarks.length > 0);
}

/** XML text in the encoding its prolog declares (UTF-8 unless it says otherwise). */
export function decodeXml(bytes: Uint8Array): string {
  const prolog = new TextDecoder('latin1').decode(bytes.subarray(0, 200));
  const declared = /^\s*<\?xml[^>]*encoding\s*=\s*["']([A-Za-z0-9._-]+)["']/.exec(prolog)?.[1];
  try {
    return new TextDecoder(declared ?? 'utf-8').decode(bytes);
  } catch {
    return new TextDecoder().decode(bytes); // a label TextDecoder does not know: GDAL read it anyway
  }
}

function attribute(attributes: string, name: string): string | undefined {
  const match = new RegExp(`(?:^|\\s)${name}\\s*=\\s*(?:"([^"]*)"|'([^']*)')`).exec(attributes);
  return match ? decodeEntities(match[1] ?? match[2] ?? '') : undefined;
}

function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|lt|gt|amp|quot|apos);/g, (_, entity: string) => {
    if (entity[0] === '#') {
      const code = entity[1] === 'x' ? parseInt(entity.slice(2), 16) : parseInt(entity.slice(1), 10);
      return String.fromCodePoint(code);
    }
    return { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" }[entity]!;
  });
}
