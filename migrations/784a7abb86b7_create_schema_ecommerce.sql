-- create schema ecommerce
--
-- Revision ID: 784a7abb86b7
-- Revises:
-- Create Date: 2024-04-01 17:18:00.000000

-- migrate:upgrade
CREATE SCHEMA IF NOT EXISTS ecommerce_olist;

-- migrate:downgrade
DROP SCHEMA IF EXISTS ecommerce_olist CASCADE;
