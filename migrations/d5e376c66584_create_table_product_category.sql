-- create table product_category
--
-- Revision ID: d5e376c66584
-- Revises: b1bc43e2f536
-- Create Date: 2024-04-01 17:40:00.000000

-- migrate:upgrade
CREATE TABLE ecommerce_olist.product_category (
    product_id integer PRIMARY KEY,
    product_category_name text
);

-- migrate:downgrade
DROP TABLE ecommerce_olist.product_category;
