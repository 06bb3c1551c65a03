-- create table customer
--
-- Revision ID: b1bc43e2f536
-- Revises: 784a7abb86b7
-- Create Date: 2024-04-01 17:25:00.000000

-- migrate:upgrade
CREATE TABLE ecommerce_olist.customers (
    customer_id text PRIMARY KEY,
    customer_unique_id text,
    customer_zip_code_prefix integer,
    customer_city text,
    customer_state text
);

-- migrate:downgrade
DROP TABLE ecommerce_olist.customers;
