-- The demo warehouse: three tables loaded from the CSV files beside this one.
CREATE TABLE customers (
    user_id     VARCHAR PRIMARY KEY,
    name        VARCHAR,
    email       VARCHAR,
    phone       VARCHAR,
    country     VARCHAR,
    plan        VARCHAR,
    created_at  TIMESTAMP
);
CREATE TABLE orders (
    transaction_id  VARCHAR PRIMARY KEY,
    user_id         VARCHAR,
    amount          DECIMAL(12, 2),
    currency        VARCHAR,
    payment_method  VARCHAR,
    items           VARCHAR,       -- JSON text: [{"name":…, "category":…, "price":…, "quantity":…}]
    ordered_at      TIMESTAMP      -- UTC, no zone
);
CREATE TABLE usage (
    event_id     VARCHAR PRIMARY KEY,
    customer_id  VARCHAR,
    event_type   VARCHAR,
    quantity     BIGINT,
    occurred_at  TIMESTAMP
);
