-- create table order
--
-- Revision ID: 358cebb507a0
-- Revises: 33083bd5e3b1
-- Create Date: 2024-04-01 18:02:00.000000

-- migrate:upgrade
CREATE TABLE ecommerce_olist.orders (
    order_id text PRIMARY KEY,
    customer_id text NOT NULL REFERENCES ecommerce_olist.customers (customer_id),
    order_status text NOT NULL DEFAULT 'created',
    order_purchase_timestamp timestamp NOT NULL DEFAULT now()
);
CREATE INDEX orders_customer_id_idx ON ecommerce_olist.orders (customer_id);

-- migrate:downgrade
DROP TABLE ecommerce_olist.orders;
