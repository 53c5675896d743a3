import type { FastifyReply } from 'fastify';
import { toCsv, type CsvColumn } from './csv.js';

/** A CSV export as a download named `fileName`. */
export function sendCsv<Row>(reply: FastifyReply, fileName: string, columns: readonly CsvColumn<Row>[], rows: readonly Row[]): FastifyReply {
  return reply
    .type('text/csv; charset=utf-8')
    .header('content-disposition', `attachment; filename="${fileName}"`)
    .send(toCsv(columns, rows));
}
