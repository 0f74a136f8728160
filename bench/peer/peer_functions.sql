-- PostGraphile's computed columns for the benchmark: the same measures as Stonks
-- (server/store/prices_queries.py, price_measures.py), as STABLE SQL functions whose
-- first argument is a minifigures row, so the Amber preset exposes them as fields of
-- `Minifigure`. Bench database only; never part of the product's migrations.

DROP FUNCTION IF EXISTS minifigures_latest_price(minifigures, text);
DROP FUNCTION IF EXISTS minifigures_stats(minifigures, integer, text);
DROP FUNCTION IF EXISTS minifigures_candles(minifigures, timestamptz, timestamptz, text, text, text);
DROP TYPE IF EXISTS peer_latest_price;
DROP TYPE IF EXISTS peer_stats;
DROP TYPE IF EXISTS peer_candle;

CREATE TYPE peer_latest_price AS (
    last_sale numeric, last_sale_at timestamptz, lowest_ask numeric,
    median numeric, median_day date, last_seen_at timestamptz
);

CREATE TYPE peer_stats AS (
    change_pct numeric, volatility_pct numeric, low numeric, high numeric, median numeric,
    sample_size bigint, volume bigint, last_sale_at timestamptz
);

CREATE TYPE peer_candle AS (
    start timestamptz, open numeric, high numeric, low numeric, close numeric,
    median numeric, volume bigint, trades bigint
);

CREATE FUNCTION minifigures_latest_price(m minifigures, condition text DEFAULT 'USED')
RETURNS peer_latest_price LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT sale.price_usd, sale.observed_at, ask.price_usd, snap.median_usd, snap.day,
           seen.observed_at
    FROM (SELECT 1) AS one
    LEFT JOIN LATERAL (
        SELECT price_usd, observed_at FROM price_listings
        WHERE minifigure_id = m.id AND kind = 'SOLD' AND price_listings.condition = $2
          AND excluded_reason IS NULL
        ORDER BY observed_at DESC, id DESC LIMIT 1) AS sale ON true
    LEFT JOIN LATERAL (
        SELECT price_usd FROM price_listings
        WHERE minifigure_id = m.id AND kind = 'ASK' AND price_listings.condition = $2
          AND excluded_reason IS NULL AND observed_at > now() - interval '7 days'
        ORDER BY price_usd, observed_at DESC LIMIT 1) AS ask ON true
    LEFT JOIN LATERAL (
        SELECT median_usd, day FROM price_snapshots
        WHERE minifigure_id = m.id AND price_snapshots.condition = $2
          AND median_usd IS NOT NULL
        ORDER BY day DESC LIMIT 1) AS snap ON true
    LEFT JOIN LATERAL (
        SELECT observed_at FROM price_listings
        WHERE minifigure_id = m.id AND price_listings.condition = $2
          AND excluded_reason IS NULL
        ORDER BY observed_at DESC LIMIT 1) AS seen ON true
$$;

CREATE FUNCTION minifigures_stats(m minifigures, window_days integer DEFAULT 30,
                                  condition text DEFAULT 'USED')
RETURNS peer_stats LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT
        (SELECT round(((array_agg(median_usd ORDER BY day DESC))[1]
                       / nullif((array_agg(median_usd ORDER BY day))[1], 0) - 1) * 100, 2)
         FROM price_snapshots
         WHERE minifigure_id = m.id AND price_snapshots.condition = $3
           AND median_usd IS NOT NULL AND day > current_date - $2
         HAVING count(*) >= 2),
        (SELECT round((stddev_samp(r) * 100)::numeric, 2) FROM (
            SELECT ln(median_usd / lag(median_usd) OVER (ORDER BY day)) AS r
            FROM price_snapshots
            WHERE minifigure_id = m.id AND price_snapshots.condition = $3
              AND median_usd > 0 AND day > current_date - $2) AS returns),
        sales.low, sales.high, round(sales.median::numeric, 2), sales.sample_size,
        sales.volume, sales.last_sale_at
    FROM (
        SELECT min(price_usd) AS low, max(price_usd) AS high,
               percentile_cont(0.5) WITHIN GROUP (ORDER BY price_usd) AS median,
               count(*) AS sample_size, coalesce(sum(quantity), 0) AS volume,
               max(observed_at) AS last_sale_at
        FROM price_listings
        WHERE minifigure_id = m.id AND kind = 'SOLD' AND price_listings.condition = $3
          AND excluded_reason IS NULL AND observed_at >= current_date - ($2 - 1)) AS sales
$$;

CREATE FUNCTION minifigures_candles(m minifigures, start_at timestamptz, end_at timestamptz,
                                    width text DEFAULT 'day', condition text DEFAULT 'USED',
                                    kind text DEFAULT 'SOLD')
RETURNS SETOF peer_candle LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT date_trunc($4, observed_at, 'UTC') AS bucket,
           (array_agg(price_usd ORDER BY observed_at, id))[1],
           max(price_usd), min(price_usd),
           (array_agg(price_usd ORDER BY observed_at DESC, id DESC))[1],
           round(percentile_cont(0.5) WITHIN GROUP (ORDER BY price_usd)::numeric, 2),
           sum(quantity), count(*)
    FROM price_listings
    WHERE minifigure_id = m.id AND price_listings.kind = $6
      AND price_listings.condition = $5 AND excluded_reason IS NULL
      AND observed_at >= $2 AND observed_at < $3
    GROUP BY bucket ORDER BY bucket
$$;
