-- merge orders and sellers
--
-- Order items need both branches: the orders and the sellers.
--
-- Revision ID: 5f2c8e91d0a4
-- Revises: 358cebb507a0, b036a88df8fb
-- Create Date: 2024-04-01 18:30:00.000000

-- migrate:upgrade
CREATE TABLE ecommerce_olist.order_items (
    order_id text NOT NULL REFERENCES ecommerce_olist.orders (order_id),
    order_item_id integer NOT NULL,
    product_id integer REFERENCES ecommerce_olist.product_category (product_id),
    seller_id text NOT NULL REFERENCES ecommerce_olist.sellers (seller_id),
    price numeric(10, 2) NOT NULL CHECK (price >= 0),
    PRIMARY KEY (order_id, order_item_id)
);

-- migrate:downgrade
DROP TABLE ecommerce_olist.order_items;
