-- AlterEnum
-- This migration adds more than one value to an enum.
-- With PostgreSQL versions 11 and earlier, this is not possible
-- in a single migration. This can be worked around by creating
-- multiple migrations, each migration adding only one value to
-- the enum.


ALTER TYPE "BusinessKind" ADD VALUE 'SOLE_PROPRIETORSHIP';
ALTER TYPE "BusinessKind" ADD VALUE 'LIMITED_LIABILITY_COMPANY';
ALTER TYPE "BusinessKind" ADD VALUE 'JOINT_STOCK_COMPANY';

-- AlterTable
ALTER TABLE "Business" ADD COLUMN     "dossierId" TEXT,
ADD COLUMN     "headOfficeUnitCode" TEXT,
ADD COLUMN     "charterCapital" BIGINT,
ADD COLUMN     "businessLines" TEXT[] DEFAULT ARRAY[]::TEXT[],
ADD COLUMN     "founderPins" TEXT[] DEFAULT ARRAY[]::TEXT[];

-- AlterTable
ALTER TABLE "Dossier" ADD COLUMN     "ownerPins" TEXT[] DEFAULT ARRAY[]::TEXT[];

-- CreateTable
CREATE TABLE "BusinessLine" (
    "code" TEXT NOT NULL,
    "name" TEXT NOT NULL,

    CONSTRAINT "BusinessLine_pkey" PRIMARY KEY ("code")
);

-- CreateTable
CREATE TABLE "Counter" (
    "name" TEXT NOT NULL,
    "value" BIGINT NOT NULL,

    CONSTRAINT "Counter_pkey" PRIMARY KEY ("name")
);

-- CreateIndex
CREATE UNIQUE INDEX "Business_dossierId_key" ON "Business"("dossierId");

-- CreateIndex
CREATE INDEX "Dossier_ownerPins_idx" ON "Dossier" USING GIN ("ownerPins");

-- InsertData
-- Lines of business a filing may name: level-4 codes of the Vietnamese standard industrial
-- classification (VSIC 2018, Quyết định 27/2018/QĐ-TTg) with their official names. More codes are
-- more rows, not code.
INSERT INTO "BusinessLine" ("code", "name") VALUES
    ('1071', 'Sản xuất các loại bánh từ bột'),
    ('1079', 'Sản xuất thực phẩm khác chưa được phân vào đâu'),
    ('1410', 'May trang phục (trừ trang phục từ da lông thú)'),
    ('4101', 'Xây dựng nhà để ở'),
    ('4102', 'Xây dựng nhà không để ở'),
    ('4321', 'Lắp đặt hệ thống điện'),
    ('4330', 'Hoàn thiện công trình xây dựng'),
    ('4520', 'Bảo dưỡng, sửa chữa ô tô và xe có động cơ khác'),
    ('4542', 'Bảo dưỡng và sửa chữa mô tô, xe máy'),
    ('4610', 'Đại lý, môi giới, đấu giá hàng hóa'),
    ('4632', 'Bán buôn thực phẩm'),
    ('4633', 'Bán buôn đồ uống'),
    ('4641', 'Bán buôn vải, hàng may mặc, giày dép'),
    ('4651', 'Bán buôn máy vi tính, thiết bị ngoại vi và phần mềm'),
    ('4711', 'Bán lẻ lương thực, thực phẩm, đồ uống, thuốc lá, thuốc lào chiếm tỷ trọng lớn trong các cửa hàng kinh doanh tổng hợp'),
    ('4719', 'Bán lẻ khác trong các cửa hàng kinh doanh tổng hợp'),
    ('4722', 'Bán lẻ thực phẩm trong các cửa hàng chuyên doanh'),
    ('4723', 'Bán lẻ đồ uống trong các cửa hàng chuyên doanh'),
    ('4741', 'Bán lẻ máy vi tính, thiết bị ngoại vi, phần mềm và thiết bị viễn thông trong các cửa hàng chuyên doanh'),
    ('4771', 'Bán lẻ hàng may mặc, giày dép, hàng da và giả da trong các cửa hàng chuyên doanh'),
    ('4791', 'Bán lẻ theo yêu cầu đặt hàng qua bưu điện hoặc internet'),
    ('4932', 'Vận tải hành khách đường bộ khác'),
    ('4933', 'Vận tải hàng hóa bằng đường bộ'),
    ('5210', 'Kho bãi và lưu giữ hàng hóa'),
    ('5510', 'Dịch vụ lưu trú ngắn ngày'),
    ('5610', 'Nhà hàng và các dịch vụ ăn uống phục vụ lưu động'),
    ('5621', 'Cung cấp dịch vụ ăn uống theo hợp đồng không thường xuyên với khách hàng (phục vụ tiệc, hội họp, đám cưới...)'),
    ('5629', 'Dịch vụ ăn uống khác'),
    ('5630', 'Dịch vụ phục vụ đồ uống'),
    ('6201', 'Lập trình máy vi tính'),
    ('6202', 'Tư vấn máy vi tính và quản trị hệ thống máy vi tính'),
    ('6209', 'Hoạt động dịch vụ công nghệ thông tin và dịch vụ khác liên quan đến máy vi tính'),
    ('6311', 'Xử lý dữ liệu, cho thuê và các hoạt động liên quan'),
    ('6810', 'Kinh doanh bất động sản, quyền sử dụng đất thuộc chủ sở hữu, chủ sử dụng hoặc đi thuê'),
    ('6920', 'Hoạt động liên quan đến kế toán, kiểm toán và tư vấn về thuế'),
    ('7020', 'Hoạt động tư vấn quản lý'),
    ('7310', 'Quảng cáo'),
    ('7911', 'Đại lý du lịch'),
    ('7912', 'Điều hành tua du lịch'),
    ('8559', 'Giáo dục khác chưa được phân vào đâu'),
    ('9631', 'Cắt tóc, làm đầu, gội đầu');

-- InsertData
-- Serials of enterprise codes (03 + 7-digit serial + check digit): the next code takes value + 1.
-- Registry entries that predate the engine hold serials below 1800000.
INSERT INTO "Counter" ("name", "value") VALUES
    ('enterprise-code', 1800000);
