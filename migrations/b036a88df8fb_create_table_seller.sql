-- create table seller
--
-- Sellers are developed on their own branch, labelled "marketplace": they need the schema and
-- the categories, not the orders.
--
-- Revision ID: b036a88df8fb
-- Revises: d5e376c66584
-- Create Date: 2024-04-01 18:10:00.000000
-- Branch Labels: marketplace

-- migrate:upgrade
CREATE TABLE ecommerce_olist.sellers (
    seller_id text PRIMARY KEY,
    seller_zip_code_prefix integer,
    seller_city text,
    seller_state text
);

-- migrate:downgrade
DROP TABLE ecommerce_olist.sellers;
