import { sql } from 'kysely';
import type { TileLayerDefinition } from '../tiles/layers.js';

/**
 * Interventions for the method's map: an outline where one has an area, and one symbol per
 * intervention in the `interventions_labels` layer. As in the GeoJSON export
 * (interventionsGeoJson in queries.ts), an intervention without a geometry of its own
 * stands at a point inside the neighbourhoods it serves (`geometry_source: 'neighbourhoods'`).
 *
 * The map filters by category and agency with a MapLibre expression, so one set of tiles
 * answers every filter. An agency counts as lead or as partner, as the API's `agency`
 * filter does; MVT has no array values, so the agencies travel as one string,
 * `agency_ids: ',3,7,'`, in which the map looks for ',3,'.
 */
export const interventionsTileLayer: TileLayerDefinition = {
  name: 'interventions',
  description: 'Interventions with their category, status, lead agency and dates; a point inside the served neighbourhoods where none is drawn',
  // As the neighbourhoods: the province-wide view starts at zoom 6.
  minzoom: 6,
  maxzoom: 15,
  revisions: ['interventions'],
  fields: {
    id: 'Number',
    title: 'String',
    title_en: 'String',
    category: 'String',
    status: 'String',
    lead_agency_id: 'Number',
    lead_agency_fa: 'String',
    lead_agency_en: 'String',
    agency_ids: 'String',
    start_date: 'String',
    end_date: 'String',
    has_area: 'Boolean',
    geometry_source: 'String',
  },
  labelFields: ['id', 'category', 'status', 'lead_agency_id', 'agency_ids'],
  // The derived points and the label points are worked out for every intervention before the
  // bounds apply, so the GiST index on interventions.geom does not help: there are tens of
  // interventions, not thousands, and a tile is rendered once per data change.
  //
  // An area's symbol stands where a neighbourhood's name does (migration 0007): at the centre
  // of the largest circle inside it, in Web Mercator; ST_PointOnSurface often lands on an edge.
  features: (bounds) => sql`
    select i.id, i.title, i.title_en, i.category, i.status, i.lead_agency_id,
      a.name_fa as lead_agency_fa, a.name_en as lead_agency_en,
      ',' || (select string_agg(x.agency_id::text, ',' order by x.agency_id)
        from (select i.lead_agency_id as agency_id union select ip.agency_id from intervention_partners ip where ip.intervention_id = i.id) x) || ',' as agency_ids,
      to_char(i.start_date, 'YYYY-MM-DD') as start_date, to_char(i.end_date, 'YYYY-MM-DD') as end_date,
      coalesce(ST_Dimension(i.geom) = 2, false) as has_area,
      case when i.geom is null then 'neighbourhoods' else 'drawn' end as geometry_source,
      g.geom,
      case when ST_Dimension(g.geom) = 2 then ST_Transform((ST_MaximumInscribedCircle(ST_Transform(g.geom, 3857))).center, 4326)
        else g.geom end as label_point
    from interventions i
    join agencies a on a.id = i.lead_agency_id
    cross join lateral (
      select coalesce(i.geom, (
        select ST_PointOnSurface(ST_Union(n.geom))
        from intervention_neighbourhoods x join neighbourhoods n on n.id = x.neighbourhood_id
        where x.intervention_id = i.id)) as geom
    ) g
    where g.geom && ${bounds}`,
};
