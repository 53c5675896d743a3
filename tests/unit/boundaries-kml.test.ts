import { describe, expect, it } from 'vitest';
import { readKmlPlacemarks } from '../../server/boundaries/kml-extended-data.js';

describe('readKmlPlacemarks', () => {
  it('groups placemarks by their nearest Document or Folder, with both ExtendedData forms', () => {
    const kml = `<?xml version="1.0" encoding="UTF-8"?>
<kml xmlns="http://www.opengis.net/kml/2.2"><Document><name>Kerman</name>
  <Placemark><name>سرآسیاب</name>
    <ExtendedData><Data name="code"><displayName>Code</displayName><value>K-002</value></Data></ExtendedData>
    <Point><coordinates>57.08,30.28</coordinates></Point></Placemark>
  <Folder><name>Margins &amp; townships</name>
    <Placemark><name><![CDATA[شهرک الله‌آباد]]></name>
      <ExtendedData><SchemaData schemaUrl="#s"><SimpleData name="code">K-001</SimpleData>
      <SimpleData name="note">a &lt;b&gt; &#1583;</SimpleData><SimpleData name="empty"/></SchemaData></ExtendedData>
    </Placemark>
  </Folder>
</Document></kml>`;
    expect(readKmlPlacemarks(kml)).toEqual([
      { container: 'Kerman', placemarks: [{ name: 'سرآسیاب', data: { code: 'K-002' } }] },
      { container: 'Margins & townships', placemarks: [{ name: 'شهرک الله‌آباد', data: { code: 'K-001', note: 'a <b> د' } }] },
    ]);
  });

  it('reads namespace-prefixed KML and placemarks outside any container', () => {
    const kml = `<kml:kml xmlns:kml="http://www.opengis.net/kml/2.2"><kml:Placemark><kml:name>x</kml:name>
      <kml:ExtendedData><kml:Data name='a'><kml:value>1</kml:value></kml:Data></kml:ExtendedData></kml:Placemark></kml:kml>`;
    expect(readKmlPlacemarks(kml)).toEqual([{ container: '', placemarks: [{ name: 'x', data: { a: '1' } }] }]);
  });
});
