import type { FastifyReply } from 'fastify';
import { toCsv, type CsvColumn } from './csv.js';
import { GEOPACKAGE_TYPE, geoJsonToGeoPackage, layersByGeometry } from './geopackage.js';

/** A CSV export as a download named `fileName`. */
export function sendCsv<Row>(reply: FastifyReply, fileName: string, columns: readonly CsvColumn<Row>[], rows: readonly Row[]): FastifyReply {
  return reply
    .type('text/csv; charset=utf-8')
    .header('content-disposition', `attachment; filename="${fileName}"`)
    .send(toCsv(columns, rows));
}

/**
 * A GeoJSON export as a GeoPackage download named `fileName`, one layer per kind of
 * geometry (see geopackage.ts).
 */
export async function sendGeoPackage(reply: FastifyReply, fileName: string, featureCollection: string, layerName: string, description: string): Promise<FastifyReply> {
  const gpkg = await geoJsonToGeoPackage(layersByGeometry(featureCollection, layerName), description);
  return reply
    .type(GEOPACKAGE_TYPE)
    .header('content-disposition', `attachment; filename="${fileName}"`)
    .send(Buffer.from(gpkg.buffer, gpkg.byteOffset, gpkg.byteLength));
}
